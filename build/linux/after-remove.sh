#!/bin/bash
# Agent Desktop's .deb post-remove script (electron-builder.yml: deb.afterRemove).
# electron-builder fills in ${executable}; shell variables here are plain $NAME (a
# dollar-brace it does not know stops the build).

# 1. Headsets: the udev rule goes with the app, but not on an upgrade (dpkg runs this with
# "upgrade" before the new version's post-install puts the rule back; "abort-upgrade" when
# an upgrade failed and the old version stays).
case "$1" in
    upgrade | failed-upgrade | abort-upgrade) ;;
    *)
        rm -f /usr/lib/udev/rules.d/70-agent-desktop-headsets.rules /lib/udev/rules.d/70-agent-desktop-headsets.rules
        if [ -S /run/udev/control ] && command -v udevadm >/dev/null 2>&1; then
            udevadm control --reload-rules && udevadm trigger --subsystem-match=hidraw --action=change || true
        fi
        ;;
esac

# 2. The rest is electron-builder's own after-remove.tpl (26.x), which a custom script
# replaces: the command link and the AppArmor profile go.
if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
    # Unloaded from the kernel before the file goes, so it is not enforced until a reboot.
    if apparmor_status --enabled > /dev/null 2>&1; then
        if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
            apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
        fi
    fi
    rm -f "$APPARMOR_PROFILE_DEST"
fi

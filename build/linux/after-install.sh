#!/bin/bash
# Agent Desktop's .deb post-install script (electron-builder.yml: deb.afterInstall).
# electron-builder fills in ${executable} and ${sanitizedProductName}; any other dollar-brace
# would stop the build ("Macro … is not defined"), so shell variables here are plain $NAME.

# 1. Headsets: the udev rule giving the seated user the headsets' /dev/hidraw nodes (see the
# rule's own comments). Never fails the install: without it only the headset buttons are
# missing, and a replug or restart applies it anyway.
HEADSET_RULE='70-agent-desktop-headsets.rules'
HEADSET_RULE_SOURCE='/opt/${sanitizedProductName}/resources/udev/70-agent-desktop-headsets.rules'
if [ -d /usr/lib/udev/rules.d ] || [ ! -d /lib/udev/rules.d ]; then
    UDEV_RULES_DIR=/usr/lib/udev/rules.d
else
    UDEV_RULES_DIR=/lib/udev/rules.d
fi
if [ -f "$HEADSET_RULE_SOURCE" ]; then
    if mkdir -p "$UDEV_RULES_DIR" && install -m 0644 "$HEADSET_RULE_SOURCE" "$UDEV_RULES_DIR/$HEADSET_RULE"; then
        # Only where udev runs (not in a chroot or an image build).
        if [ -S /run/udev/control ] && command -v udevadm >/dev/null 2>&1; then
            udevadm control --reload-rules && udevadm trigger --subsystem-match=hidraw --action=change ||
                echo "Agent Desktop: udev not reloaded; replug the headset to use its buttons" >&2
        fi
    else
        echo "Agent Desktop: the headset udev rule could not be installed" >&2
    fi
fi

# 2. The rest is electron-builder's own after-install.tpl (26.x), step for step: a custom
# script replaces it, so its work is done here. Kept last so that the script's exit status
# stays the one electron-builder's steps give.

# The command on the PATH.
if type update-alternatives >/dev/null 2>&1; then
    # A link from before update-alternatives was used is removed first.
    if [ -L '/usr/bin/${executable}' ] && [ -e '/usr/bin/${executable}' ] && [ "$(readlink '/usr/bin/${executable}')" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' '/opt/${sanitizedProductName}/${executable}' 100 || ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
else
    ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
fi

# Chromium's SUID sandbox helper only where user namespaces do not work.
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi

if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# The AppArmor profile (Ubuntu 24.04 and later), when this AppArmor understands it.
if apparmor_status --enabled > /dev/null 2>&1; then
    APPARMOR_PROFILE_SOURCE='/opt/${sanitizedProductName}/resources/apparmor-profile'
    APPARMOR_PROFILE_TARGET='/etc/apparmor.d/${executable}'
    if apparmor_parser --skip-kernel-load --debug "$APPARMOR_PROFILE_SOURCE" > /dev/null 2>&1; then
        cp -f "$APPARMOR_PROFILE_SOURCE" "$APPARMOR_PROFILE_TARGET"
        # Not in a chroot (an image being built): there is no kernel policy to update.
        if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
            apparmor_parser --replace --write-cache --skip-read-cache "$APPARMOR_PROFILE_TARGET"
        fi
    else
        echo "Skipping the installation of the AppArmor profile as this version of AppArmor does not seem to support the bundled profile"
    fi
fi

#!/usr/bin/env bash
# Debian packages the tests and the lab need: the real SIP peers and a browser.
#   kamailio (+ websocket modules)  SIP registrar/proxy over UDP and WebSocket
#   sip-tester                      sipp, the scripted customer / far end
#   rtpengine-daemon                WebRTC (DTLS-SRTP/ICE) <-> plain RTP bridge
#   chromium                        real WebRTC for browser-mode E2E tests
#   fonts-noto-cjk                  Japanese glyphs in screenshots
#   tshark                          captures RTP (DTMF events) on loopback in tests
set -euo pipefail
pkgs=(kamailio kamailio-websocket-modules sip-tester rtpengine-daemon chromium fonts-noto-cjk tshark)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Never run the packaged services: tests start their own instances on free ports.
for svc in kamailio rtpengine-daemon; do
  $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
done

#!/bin/sh
# Install the bundle built by `make package` for the current user (no root needed):
#   packaging/install-desktop.sh             install dist/seq2seq-lab
#   packaging/install-desktop.sh --uninstall remove it again
# Puts the bundle in ~/.local/lib/seq2seq-lab, links seq2seq-lab and s2s into ~/.local/bin,
# and registers the .desktop entry, the icons and the AppStream metainfo under ~/.local/share.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ID=io.github.seq2seqlab.Seq2SeqLab
PREFIX=${PREFIX:-$HOME/.local}
DATA=${XDG_DATA_HOME:-$PREFIX/share}
APP_DIR=$PREFIX/lib/seq2seq-lab
SIZES="16 24 32 48 64 128 256 512"

refresh() {
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$APP_DIR"
    rm -f "$PREFIX/bin/seq2seq-lab" "$PREFIX/bin/s2s" "$DATA/applications/$ID.desktop" \
        "$DATA/metainfo/$ID.metainfo.xml" "$DATA/icons/hicolor/scalable/apps/seq2seq-lab.svg"
    for s in $SIZES; do rm -f "$DATA/icons/hicolor/${s}x${s}/apps/seq2seq-lab.png"; done
    refresh
    echo "removed Seq2Seq Lab from $PREFIX"
    exit 0
fi

BUNDLE=${1:-$ROOT/dist/seq2seq-lab}
[ -x "$BUNDLE/seq2seq-lab" ] || { echo "no bundle in $BUNDLE: run 'make package' first" >&2; exit 1; }
mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$DATA/applications" "$DATA/metainfo" \
    "$DATA/icons/hicolor/scalable/apps"
rm -rf "$APP_DIR"
cp -a "$BUNDLE" "$APP_DIR"
ln -sf "$APP_DIR/seq2seq-lab" "$PREFIX/bin/seq2seq-lab"
ln -sf "$APP_DIR/s2s" "$PREFIX/bin/s2s"
for s in $SIZES; do
    mkdir -p "$DATA/icons/hicolor/${s}x${s}/apps"
    cp "$ROOT/resources/icons/hicolor/${s}x${s}/apps/seq2seq-lab.png" "$DATA/icons/hicolor/${s}x${s}/apps/"
done
cp "$ROOT/resources/icons/seq2seq-lab.svg" "$DATA/icons/hicolor/scalable/apps/"
# Exec names the installed program by its full path, so ~/.local/bin need not be on PATH.
sed "s|^Exec=.*|Exec=\"$APP_DIR/seq2seq-lab\"|" "$HERE/$ID.desktop" > "$DATA/applications/$ID.desktop"
cp "$HERE/$ID.metainfo.xml" "$DATA/metainfo/"
refresh
echo "installed Seq2Seq Lab in $APP_DIR; it is in the application menu as 'Seq2Seq Lab'"

"""Application entry point: QApplication, settings, controller and main window."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from engine.resources import RESOURCES
from s2s_gui.app_info import (
    APP_ID,
    APPLICATION,
    ORGANIZATION,
    ORGANIZATION_DOMAIN,
    app_version,
)
from s2s_gui.controller import AppController
from s2s_gui.fonts import register_fonts
from s2s_gui.gateway.training import tune_malloc
from s2s_gui.i18n import install_translators, ui_locale
from s2s_gui.quirks.collector import install_collector

logger = logging.getLogger(__name__)

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def configure_pyqtgraph() -> None:
    """Light plots that match the widgets; called before any plot is created."""
    pg.setConfigOptions(background="w", foreground="#303030", antialias=False)


def load_style(app: QApplication) -> None:
    style = RESOURCES / "style.qss"
    if style.is_file():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    app.setWindowIcon(app_icon())


def app_icon() -> QIcon:
    """The rendered PNGs (no SVG plugin needed), plus the SVG for other sizes."""
    icons = RESOURCES / "icons"
    icon = QIcon()
    for size in ICON_SIZES:
        png = icons / "hicolor" / f"{size}x{size}" / "apps" / "seq2seq-lab.png"
        if png.is_file():
            icon.addFile(str(png))
    svg = icons / "seq2seq-lab.svg"
    if svg.is_file():
        icon.addFile(str(svg))
    return icon


PREFERRED_SIZE = QSize(1360, 860)
FRAME = QSize(16, 48)  # title bar and borders the window manager adds


def default_size(available: QSize) -> QSize:
    """The first window size: as preferred, but inside the screen's free area (a
    1366x768 laptop's is about 1366x740 once a panel is drawn)."""
    return PREFERRED_SIZE.boundedTo(available - FRAME)


def build_window(settings: QSettings, runs_root: str | None = None):  # noqa: ANN201
    """Controller + main window (also used by tests and screenshot scripts)."""
    from s2s_gui.widgets.main_window import MainWindow

    configure_pyqtgraph()
    install_collector(QApplication.instance())  # the app owns it
    controller = AppController(runs_root=runs_root)
    window = MainWindow(controller, settings)
    geometry = settings.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        screen = window.screen() or QGuiApplication.primaryScreen()
        window.resize(default_size(screen.availableGeometry().size()))
    state = settings.value("window/state")
    if state is not None:
        window.restoreState(state)
    return controller, window


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="s2s-gui", description=APPLICATION)
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {app_version()}"
    )
    parser.add_argument(
        "--runs", help="folder for run directories (default: user data)"
    )
    parser.add_argument("--corpus", help="preselect a corpus, e.g. builtin:qt/fr")
    args, qt_args = parser.parse_known_args(argv if argv is not None else sys.argv[1:])
    logging.basicConfig(
        level=logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )
    tune_malloc()  # training and decoding in this process reuse freed memory
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName(ORGANIZATION)
    app.setOrganizationDomain(ORGANIZATION_DOMAIN)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setApplicationVersion(app_version())
    app.setDesktopFileName(APP_ID)
    load_style(app)
    register_fonts()
    settings = QSettings()
    translators = install_translators(app, ui_locale(settings))  # noqa: F841
    controller, window = build_window(settings, args.runs)
    if args.corpus:
        window.start_page.choose_corpus(args.corpus)
    window.show()
    window.check_fonts()
    code = app.exec()
    controller.shutdown()
    return code

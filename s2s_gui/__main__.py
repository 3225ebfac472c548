"""`python -m s2s_gui` starts the app."""

from s2s_gui.app import main

raise SystemExit(main())

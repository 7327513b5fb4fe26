from ictui.cli.main import main

raise SystemExit(main())

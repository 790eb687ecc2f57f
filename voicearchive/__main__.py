from voicearchive.cli import main

raise SystemExit(main())

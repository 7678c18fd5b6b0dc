from consult.cli import main

raise SystemExit(main())

from samples.generate.main import main

raise SystemExit(main())

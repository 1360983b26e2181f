from services.bench.command import main

raise SystemExit(main())

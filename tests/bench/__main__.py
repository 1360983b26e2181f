from tests.bench.command import main

raise SystemExit(main())

import sys

from services.tools.cli import main

sys.exit(main())

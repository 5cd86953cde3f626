import sys

from portplan.cli import main

sys.exit(main())

import sys

from assist.cli import main

sys.exit(main())

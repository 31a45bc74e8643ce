import sys

from assist.edges.cli import main

sys.exit(main())

"""``python benchmarks/corpus [--big]``: build the corpus."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus.build import main

sys.exit(main())

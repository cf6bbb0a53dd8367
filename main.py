"""The loyalty member app: `python main.py` (see README for --web, --backend, --kiosk)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from loyalty_app.run import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())

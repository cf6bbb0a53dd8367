"""Entry point. For now it runs the reference loyalty server with the Harbor Coffee demo
data on 127.0.0.1:8080; the member app's screens will start from here too."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from loyalty_server.cli import main  # noqa: E402

if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(["serve", "--demo", *args]))

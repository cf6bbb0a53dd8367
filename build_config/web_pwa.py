"""The static web build as an installable, offline web app (called by web_build.py).

- `manifest.json`: the brand's name, the app's own icons (from assets/icon.png: its artwork
  sits in the central 60 %, so the same picture serves as a maskable icon), and the theme and
  background colour from the app's brand colour (app.toml).
- a service worker in the place of Flutter's (`flutter_service_worker.js`, which Flutter's
  loader registers and which in flet-web only unregisters itself): at install it stores every
  file the app needs to start, in a cache named after this build's contents; afterwards it
  answers from that cache, so a second visit with the network off opens and shows the card
  (the card's secret and the store are on the device). Pages are asked of the network first,
  so a new build is found when online. Requests to other origins (the loyalty server) are
  never touched.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from PIL import Image

ICONS = {
    "icons/icon-192.png": 192,
    "icons/icon-512.png": 512,
    "icons/icon-maskable-192.png": 192,
    "icons/icon-maskable-512.png": 512,
    "icons/apple-touch-icon-192.png": 192,
    "favicon.png": 64,
}
# Never needed by the canvaskit build in a browser: the wasm renderer's files, debug symbols,
# Pyodide's command-line runner and typings, micropip (nothing is installed at run time).
_NOT_NEEDED = re.compile(
    r"(^main\.dart\.(wasm|mjs)$|\.symbols$|\.map$|\.d\.ts$|^canvaskit/(skwasm|wimp)"
    r"|^canvaskit/experimental_webparagraph/|^pyodide/(python(\.exe|\.bat)?|package\.json"
    r"|python_cli_entry\.mjs|micropip-.*|packaging-.*)$|^assets/NOTICES$"
    r"|^flutter_service_worker\.js$)"
)

SERVICE_WORKER = """'use strict';
// The member app offline (build_config/web_pwa.py writes this file for each build).
const CACHE = 'loyalty-app-__VERSION__';
const SHELL = __SHELL__;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('loyalty-app-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function fromNetwork(request, cache, key) {
  const fresh = await fetch(request);
  if (fresh.ok) await cache.put(key, fresh.clone());
  return fresh;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (request.mode === 'navigate') {
      // The page from the network when there is one (a new build), else the kept one.
      try {
        return await fromNetwork(request, cache, './');
      } catch (offline) {
        return (await cache.match('./')) || Response.error();
      }
    }
    const kept = await cache.match(request, {ignoreSearch: true});
    return kept || fromNetwork(request, cache, request);
  })());
});
"""


def shell_files(out: Path) -> list[str]:
    """The build's files the app needs, relative to its base, the page first."""
    files = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not _NOT_NEEDED.search(p.relative_to(out).as_posix())
    )
    files.remove("index.html")
    return ["./", *files]


def write_icons(out: Path, icon: Path) -> None:
    picture = Image.open(icon).convert("RGB")
    for name, size in ICONS.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        picture.resize((size, size), Image.Resampling.LANCZOS).save(target, optimize=True)


def write_manifest(out: Path, name: str, short_name: str, description: str, colour: str) -> None:
    path = out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(
        {
            "name": name,
            "short_name": short_name,
            "description": description,
            "id": "./",
            "start_url": "./",
            "scope": "./",
            "display": "standalone",
            "background_color": colour,
            "theme_color": colour,
            "icons": [
                {"src": "icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
                {"src": "icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
                {
                    "src": "icons/icon-maskable-192.png",
                    "sizes": "192x192",
                    "type": "image/png",
                    "purpose": "maskable",
                },
                {
                    "src": "icons/icon-maskable-512.png",
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        }
    )
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    index = out / "index.html"
    html = index.read_text(encoding="utf-8")
    if 'name="theme-color"' not in html:
        html = html.replace(
            '<meta charset="UTF-8">',
            f'<meta charset="UTF-8">\n  <meta name="theme-color" content="{colour}">',
            1,
        )
        index.write_text(html, encoding="utf-8")


def register_service_worker(out: Path) -> None:
    """Registers the worker from the page, under the very URL Flutter's loader uses (it only
    re-registers a worker that is there already; under another URL it would replace ours)."""
    bootstrap = (out / "flutter_bootstrap.js").read_text(encoding="utf-8")
    found = re.search(r'serviceWorkerVersion:\s*"([^"]+)"', bootstrap)
    if found is None:
        raise SystemExit("web-build: flutter_bootstrap.js names no serviceWorkerVersion")
    url = f"flutter_service_worker.js?v={found.group(1)}"
    script = (
        "<script>\n"
        "    if ('serviceWorker' in navigator) {\n"
        f"      navigator.serviceWorker.register('{url}');\n"
        "    }\n"
        "  </script>\n"
        "</head>"
    )
    index = out / "index.html"
    html = index.read_text(encoding="utf-8")
    if url not in html:
        index.write_text(html.replace("</head>", script, 1), encoding="utf-8")


def write_service_worker(out: Path) -> list[str]:
    shell = shell_files(out)
    digest = hashlib.sha256()
    for name in shell[1:]:
        digest.update(name.encode() + b"\0" + (out / name).read_bytes())
    digest.update((out / "index.html").read_bytes())
    code = SERVICE_WORKER.replace("__VERSION__", digest.hexdigest()[:16]).replace(
        "__SHELL__", json.dumps(shell, indent=2)
    )
    (out / "flutter_service_worker.js").write_text(code, encoding="utf-8")
    return shell


def make_installable(
    out: Path, *, icon: Path, name: str, short_name: str, description: str, colour: str
) -> list[str]:
    """Icons, manifest and service worker; returns the files the service worker keeps."""
    write_icons(out, icon)
    write_manifest(out, name, short_name, description, colour)
    register_service_worker(out)
    return write_service_worker(out)

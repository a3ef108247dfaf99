"""``safeplan serve``: the register as a local web page (``safeplan.web``).

The only command that imports the web front end, and only when it runs; a missing
``serve`` extra is a clear message (exit 2). The clock stays here: the pages ask this
command's session for today on every request.
"""

from __future__ import annotations

from typing import Annotated

from safeplan.cli.options import Call, command, flag, option
from safeplan.errors import UsageError
from safeplan.problems import N_

PortOpt = Annotated[
    int,
    option(N_("The port on 127.0.0.1 (0: any free one)."), "--port", metavar="N"),
]
NoBrowserOpt = Annotated[
    bool, flag(N_("Do not open a browser; only print the address."), "--no-browser")
]


@command()
def serve(c: Call, port: PortOpt = 8765, no_browser: NoBrowserOpt = False) -> int:
    try:
        import uvicorn

        from safeplan.web.app import create_app
        from safeplan.web.pages_base import Settings
    except ImportError as exc:
        raise UsageError(
            N_("safeplan serve needs {package}: pip install 'safeplan[serve]'"),
            package=exc.name or "starlette",
        ) from None
    if not 0 <= port <= 65535:
        raise UsageError(N_("--port: {port} is not a port (0 to 65535)"), port=port)
    root = c.root
    settings = Settings(root=root, today=c.session.today, lang=c.tr.lang)
    app = create_app(settings)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    import threading

    def announce() -> None:
        import time

        while not server.started and not server.should_exit:
            time.sleep(0.02)
        if not server.started:
            return
        bound = server.servers[0].sockets[0].getsockname()[1] if server.servers else port
        url = f"http://127.0.0.1:{bound}/?token={settings.token}"
        # The address ends the line, so that a terminal that links it takes nothing after it.
        c.echo(c.tr(N_("safeplan serve (Ctrl-C stops it): open {url}")).format(url=url))
        if not no_browser:
            import webbrowser

            webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    server.run()
    return 0

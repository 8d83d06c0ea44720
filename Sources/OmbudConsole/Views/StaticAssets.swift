/// The console's only script and stylesheet, served from its own origin (`/static/…`), so the CSP can stay
/// `default-src 'self'` with no inline code. The script only refreshes the queue table when a case changes.
enum StaticAssets {
    static let script = """
        "use strict";
        (function () {
          var body = document.getElementById("queue-body");
          var status = document.getElementById("live-status");
          if (!body || !window.EventSource) {
            if (status) { status.textContent = "Live updates unavailable: reload to refresh."; }
            return;
          }
          var pending = null;
          function refresh() {
            pending = null;
            fetch(window.location.href, { credentials: "same-origin" })
              .then(function (response) { return response.ok ? response.text() : null; })
              .then(function (html) {
                if (!html) { return; }
                var page = new DOMParser().parseFromString(html, "text/html");
                var fresh = page.getElementById("queue-body");
                if (!fresh) { return; }
                var rows = Array.prototype.map.call(fresh.children, function (row) { return document.importNode(row, true); });
                body.replaceChildren.apply(body, rows);
                var caption = page.querySelector("table.queue caption");
                var current = document.querySelector("table.queue caption");
                if (caption && current) { current.textContent = caption.textContent; }
              });
          }
          var source = new EventSource("/events");
          source.addEventListener("open", function () { status.textContent = "Live updates on."; });
          source.addEventListener("error", function () { status.textContent = "Live updates reconnecting…"; });
          source.addEventListener("case", function () {
            if (!pending) { pending = setTimeout(refresh, 250); }
          });
        })();
        """

    static let stylesheet = """
        :root { font-family: system-ui, sans-serif; color: #1a1a1a; background: #ffffff; line-height: 1.4; }
        body { margin: 0; }
        header.top { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: 0.5rem 1rem;
                     background: #f0f2f5; border-bottom: 1px solid #c8ccd2; }
        header.top ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
        .brand { font-weight: bold; margin: 0; }
        a { color: #0b4fa8; text-decoration: underline; }
        main { padding: 1rem; max-width: 90rem; }
        table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
        caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
        th, td { border: 1px solid #c8ccd2; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
        thead th { background: #f0f2f5; }
        .countdown { font-weight: bold; padding: 0 0.25rem; border-radius: 3px; white-space: nowrap; }
        .due-ok { color: #185c1e; background: #e6f4e7; }
        .due-warning { color: #6b4200; background: #fff3d6; }
        .due-overdue { color: #ffffff; background: #a4001d; }
        .due-none { color: #4a4a4a; }
        .summary, .detail, .note-body { white-space: pre-wrap; overflow-wrap: anywhere; }
        #handoff .summary { border-left: 4px solid #0b4fa8; padding: 0.5rem 1rem; background: #f5f8fd; }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
        .facts dt { font-weight: bold; }
        .facts dd { margin: 0; }
        form { margin: 0.5rem 0; }
        label { font-weight: bold; margin-right: 0.25rem; }
        textarea { display: block; width: 100%; max-width: 50rem; margin: 0.25rem 0; }
        button { padding: 0.3rem 0.8rem; }
        .notice { background: #e6f4e7; color: #185c1e; padding: 0.5rem; }
        .error { background: #fde8ea; color: #8a0017; padding: 0.5rem; }
        .meta { color: #4a4a4a; margin: 0; font-size: 0.9rem; }
        .timeline, .notes { padding-left: 1.25rem; }
        .timeline li, .notes li { margin-bottom: 0.5rem; }
        .this-order th, .this-order td { background: #f5f8fd; }
        .who { margin: 0 0 0 auto; }
        .hint { color: #4a4a4a; }
        """
}

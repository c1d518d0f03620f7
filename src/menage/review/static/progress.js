// Live progress of a scan or a big cleanup: asks the server where it is every half
// second and goes on to the next page when it is done (the one the server names, or
// the page's data-next). Without JavaScript, the page refreshes itself.
(function () {
  "use strict";
  var box = document.getElementById("scan");
  if (!box || !window.fetch) { return; }
  var bar = document.getElementById("bar");
  var status = document.getElementById("status");
  function poll() {
    fetch(box.getAttribute("data-poll"), {credentials: "same-origin", cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (now) {
        if (now.state === "done") {
          var next = now.next ? box.getAttribute("data-base") + now.next : box.getAttribute("data-next");
          window.location.assign(next);
          return;
        }
        if (now.state !== "running") { window.location.reload(); return; }
        if (now.total) { bar.max = now.total; bar.value = now.done; } else { bar.removeAttribute("value"); }
        status.textContent = now.text;
        window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  poll();
}());

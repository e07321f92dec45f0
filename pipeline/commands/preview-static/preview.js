// 报告预览：接收服务器推送的新页面（server-sent events），原地替换，保持滚动位置，不重新加载。
(function () {
  "use strict";
  var live = document.getElementById("live");
  var conn = document.getElementById("conn");
  if (!live || !live.dataset.events || !window.EventSource) return;
  window.previewUpdates = 0;
  window.previewUpdatedAt = 0;
  var source = new EventSource(live.dataset.events + "?have=" + encodeURIComponent(live.dataset.hash || ""));
  source.addEventListener("update", function (event) {
    var message = JSON.parse(event.data);
    if (message.hash === live.dataset.hash) return;
    var x = window.scrollX, y = window.scrollY;
    var list = document.getElementById("problems");
    var opened = list && list.open;  // a list of problems the reader opened stays open
    live.innerHTML = message.html;
    live.dataset.hash = message.hash;
    list = document.getElementById("problems");
    if (list && opened) list.open = true;
    window.scrollTo(x, y);
    window.previewUpdates += 1;
    window.previewUpdatedAt = Date.now();
  });
  source.addEventListener("open", function () { if (conn) conn.hidden = true; });
  source.addEventListener("error", function () { if (conn) conn.hidden = false; });
})();

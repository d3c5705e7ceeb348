(function () {
  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  document.querySelectorAll('details.console').forEach(function (box) {
    var input = box.querySelector('input');
    var count = box.querySelector('.shown');
    var lines = Array.prototype.slice.call(box.querySelectorAll('.ln .x'));
    var texts = lines.map(function (l) { return l.textContent; });
    input.addEventListener('input', function () {
      var q = input.value.toLowerCase(), shown = 0;
      lines.forEach(function (l, k) {
        var t = texts[k], lower = t.toLowerCase();
        var at = q ? lower.indexOf(q) : -1;
        if (!q) { l.parentNode.hidden = false; l.textContent = t; return; }
        if (at < 0) { l.parentNode.hidden = true; return; }
        shown++;
        l.parentNode.hidden = false;
        var html = '', from = 0;
        while (at >= 0) {
          html += esc(t.slice(from, at)) + '<mark>' +
                  esc(t.slice(at, at + q.length)) + '</mark>';
          from = at + q.length;
          at = lower.indexOf(q, from);
        }
        l.innerHTML = html + esc(t.slice(from));
      });
      count.textContent = q ? shown + ' of ' + lines.length + ' lines match'
                            : lines.length + ' lines';
    });
  });
  // A node's name in a timeline opens its console.
  function openTarget(id) {
    var el = document.getElementById(id);
    if (!el) return;
    if (el.tagName === 'DETAILS') el.open = true;
    el.scrollIntoView({ block: 'start' });
  }
  document.querySelectorAll('a[href^="#"]').forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      openTarget(a.getAttribute('href').slice(1));
      history.replaceState(null, '', a.getAttribute('href'));
    });
  });
  if (location.hash) openTarget(location.hash.slice(1));
})();

// The dashboard paints at once; counts that were not ready are fetched once more and swapped in.
(function () {
  var section = document.getElementById('counts-section');
  if (!section || section.getAttribute('data-pending') !== 'true' || !window.fetch || !window.DOMParser) {
    return;
  }
  fetch('/console/?wait=1', {credentials: 'same-origin'}).then(function (r) {
    return r.ok ? r.text() : null;
  }).then(function (html) {
    if (!html) {
      return;
    }
    var doc = new DOMParser().parseFromString(html, 'text/html');
    ['counts-section', 'total-card'].forEach(function (id) {
      var fresh = doc.getElementById(id);
      var old = document.getElementById(id);
      if (fresh && old) {
        old.replaceWith(fresh);
      }
    });
  });
})();

// Shows the FHIR query a search form will run while it is being filled in.
(function () {
  var form = document.getElementById('search-form');
  var shown = document.getElementById('query-url');
  if (!form || !shown) {
    return;
  }
  function enc(s) {
    return encodeURIComponent(s).replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%7C/g, '|');
  }
  function update() {
    var parts = [];
    for (var i = 0; ; i++) {
      var n = form.elements['n' + i];
      var v = form.elements['v' + i];
      if (!n || !v) {
        break;
      }
      if (n.value.trim() && v.value.trim()) {
        parts.push(enc(n.value.trim()) + '=' + enc(v.value.trim()));
      }
    }
    ['_count', '_sort'].forEach(function (p) {
      var e = form.elements[p];
      if (e && e.value.trim()) {
        parts.push(p + '=' + enc(e.value.trim()));
      }
    });
    shown.textContent = form.getAttribute('data-base') + (parts.length ? '?' + parts.join('&') : '');
  }
  form.addEventListener('input', update);
})();

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
      var value = e ? e.value.trim() || e.getAttribute('data-default') || '' : '';
      if (value) {
        parts.push(p + '=' + enc(value));
      }
    });
    shown.textContent = form.getAttribute('data-base') + (parts.length ? '?' + parts.join('&') : '');
  }
  form.addEventListener('input', update);
})();

// A file input with data-into="ID" reads the chosen file into the text area ID (the transaction page).
(function () {
  var inputs = document.querySelectorAll('input[type=file][data-into]');
  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      var target = document.getElementById(input.getAttribute('data-into'));
      if (!file || !target) {
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        target.value = reader.result;
      };
      reader.readAsText(file);
    });
  });
})();

// The data page's upload: each file is sent with XMLHttpRequest while the page polls the server for the resources
// committed and the bytes loaded so far, which move the bar. Synthea's hospital and practitioner bundles go first.
(function () {
  var form = document.getElementById('upload-form');
  if (!form || !window.XMLHttpRequest) {
    return;
  }
  var input = document.getElementById('upload-files');
  var bar = document.getElementById('upload-bar');
  var status = document.getElementById('upload-status');
  var box = document.getElementById('upload-progress');
  function rank(name) {
    if (/^hospitalInformation/.test(name)) { return 0; }
    if (/^practitionerInformation/.test(name)) { return 1; }
    var order = ['Organization', 'Location', 'Practitioner', 'PractitionerRole', 'Patient', 'Encounter'];
    for (var i = 0; i < order.length; i++) {
      if (name.indexOf(order[i] + '.') === 0) { return 2 + i; }
    }
    return 10;
  }
  function newId() {
    var a = new Uint8Array(12);
    window.crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) {
      status.textContent = 'Choose one or more files first.';
      box.hidden = false;
      return;
    }
    files.sort(function (a, b) { return rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : 1); });
    var total = files.reduce(function (s, f) { return s + f.size; }, 0) || 1;
    var sentBefore = 0, committed = 0, refused = 0, index = 0, errors = [];
    box.hidden = false;
    document.getElementById('upload-start').disabled = true;
    function show(current, text) {
      status.textContent = 'File ' + Math.min(index + 1, files.length) + ' of ' + files.length + ' · '
          + (committed + current) + ' resources committed' + (refused ? ', ' + refused + ' refused' : '')
          + (text ? ' · ' + text : '');
    }
    function next() {
      if (index >= files.length) {
        bar.value = 100;
        status.textContent = 'Done: ' + committed + ' resources committed from ' + files.length + ' file'
            + (files.length === 1 ? '' : 's') + (refused ? ', ' + refused + ' refused' : '')
            + (errors.length ? '. ' + errors.join(' ') : '.');
        status.setAttribute('data-done', 'true');
        document.getElementById('upload-start').disabled = false;
        return;
      }
      var file = files[index], id = newId(), current = 0, finished = false;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/console/data/upload?id=' + id + '&name=' + encodeURIComponent(file.name));
      xhr.setRequestHeader('X-CSRF-Token', form.getAttribute('data-csrf'));
      xhr.setRequestHeader('Content-Type', /\.ndjson$/i.test(file.name) ? 'application/fhir+ndjson'
          : 'application/fhir+json');
      // the bar follows the bytes the server has loaded; the line also says how much has been sent
      xhr.upload.onprogress = function (e) {
        show(current, 'sent ' + Math.floor(100 * e.loaded / (e.total || file.size || 1)) + '% of ' + file.name);
      };
      function poll() {
        if (finished) { return; }
        fetch('/console/data/load?id=' + id, {credentials: 'same-origin'}).then(function (r) {
          return r.ok ? r.json() : null;
        }).then(function (s) {
          if (s && !finished) {
            current = s.committed;
            bar.value = Math.floor(100 * (sentBefore + Math.min(s.bytes || 0, file.size)) / total);
            show(current, 'loading ' + file.name);
          }
          if (!finished) { setTimeout(poll, 500); }
        }, function () { if (!finished) { setTimeout(poll, 1000); } });
      }
      setTimeout(poll, 300);
      xhr.onloadend = function () {
        finished = true;
        var s = null;
        try { s = JSON.parse(xhr.responseText); } catch (e) { s = null; }
        if (s) {
          committed += s.committed || 0;
          refused += s.failed || 0;
          if (s.message || s.error) { errors.push(file.name + ': ' + (s.message || s.error)); }
        } else {
          errors.push(file.name + ': the upload failed (' + xhr.status + ')');
        }
        sentBefore += file.size;
        bar.value = Math.floor(100 * sentBefore / total);
        index++;
        show(0, '');
        next();
      };
      xhr.send(file);
    }
    next();
  });
})();

// The resource view paints first; what references the resource is fetched afterwards and swapped in.
(function () {
  var section = document.getElementById('referrers');
  var src = section && section.getAttribute('data-src');
  if (!src || !window.fetch || !window.DOMParser) {
    return;
  }
  var status = document.getElementById('referrers-loading');
  status.textContent = 'Looking for what references it…';
  fetch(src, {credentials: 'same-origin'}).then(function (r) {
    return r.text().then(function (html) { return {ok: r.ok, html: html}; });
  }).then(function (answer) {
    var fresh = new DOMParser().parseFromString(answer.html, 'text/html').getElementById('referrers');
    if (answer.ok && fresh) {
      section.replaceWith(fresh);
    } else {
      status.textContent = 'Could not list what references it. ';
      var link = document.createElement('a');
      link.href = src;
      link.textContent = 'Try the list on its own page';
      status.appendChild(link);
    }
  }, function () {
    status.textContent = 'Could not list what references it.';
  });
})();

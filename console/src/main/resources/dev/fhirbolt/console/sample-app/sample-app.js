// The Fhirbolt sample SMART app: SMART App Launch (authorization code with PKCE S256, EHR and standalone launch) in
// plain browser JavaScript, then a patient summary read from the FHIR API with the access token. No library and nothing
// loaded from elsewhere, so that it can be served from the server's jar and work offline.
(function () {
  'use strict';
  var CLIENT_ID = 'fhirbolt-sample-app';
  var KEY = 'fhirbolt-sample-app';

  function el(id) {
    return document.getElementById(id);
  }

  function status(text, error) {
    var s = el('status');
    s.textContent = text;
    s.className = error ? 'error' : '';
  }

  function b64url(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) {
      s += String.fromCharCode(bytes[i]);
    }
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function random(n) {
    var a = new Uint8Array(n);
    crypto.getRandomValues(a);
    return b64url(a);
  }

  // SHA-256 for the PKCE challenge: the browser's own where it offers it (secure contexts), else this one.
  function sha256(text) {
    var data = new TextEncoder().encode(text);
    if (window.crypto && crypto.subtle) {
      return crypto.subtle.digest('SHA-256', data).then(function (b) { return new Uint8Array(b); });
    }
    return Promise.resolve(sha256Plain(data));
  }

  function ror(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  function sha256Plain(msg) {
    var k = [], h = [], n = 2;
    while (k.length < 64) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) {
        if (n % d === 0) { prime = false; break; }
      }
      if (prime) {
        if (h.length < 8) { h.push((Math.pow(n, 1 / 2) * 0x100000000) | 0); }
        k.push((Math.pow(n, 1 / 3) * 0x100000000) | 0);
      }
      n++;
    }
    var len = msg.length, padded = ((len + 9 + 63) >> 6) << 6;
    var m = new Uint8Array(padded);
    m.set(msg);
    m[len] = 0x80;
    var view = new DataView(m.buffer);
    view.setUint32(padded - 4, (len * 8) >>> 0);
    view.setUint32(padded - 8, Math.floor(len / 0x20000000));
    var w = new Uint32Array(64);
    for (var off = 0; off < padded; off += 64) {
      var i;
      for (i = 0; i < 16; i++) { w[i] = view.getUint32(off + i * 4); }
      for (i = 16; i < 64; i++) {
        var x = w[i - 15], y = w[i - 2];
        w[i] = (w[i - 16] + (ror(x, 7) ^ ror(x, 18) ^ (x >>> 3)) + w[i - 7] + (ror(y, 17) ^ ror(y, 19) ^ (y >>> 10))) >>> 0;
      }
      var a = h[0], b = h[1], c = h[2], dd = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i]) >>> 0;
        var t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        hh = g; g = f; f = e; e = (dd + t1) >>> 0; dd = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      h[0] = (h[0] + a) >>> 0; h[1] = (h[1] + b) >>> 0; h[2] = (h[2] + c) >>> 0; h[3] = (h[3] + dd) >>> 0;
      h[4] = (h[4] + e) >>> 0; h[5] = (h[5] + f) >>> 0; h[6] = (h[6] + g) >>> 0; h[7] = (h[7] + hh) >>> 0;
    }
    var out = new Uint8Array(32), ov = new DataView(out.buffer);
    for (var j = 0; j < 8; j++) { ov.setUint32(j * 4, h[j] >>> 0); }
    return out;
  }

  // ---------------------------------------------------------------- launch.html: to the authorization endpoint

  function launch() {
    var q = new URLSearchParams(location.search);
    var iss = q.get('iss');
    var launchId = q.get('launch');
    if (!iss) {
      status('Open this page with ?iss=<FHIR base URL> for a standalone launch, or from an EHR launch.', true);
      return;
    }
    iss = iss.replace(/\/+$/, '');
    fetch(iss + '/.well-known/smart-configuration', {headers: {Accept: 'application/json'}}).then(function (r) {
      if (!r.ok) { throw new Error(iss + '/.well-known/smart-configuration answered ' + r.status); }
      return r.json();
    }).then(function (conf) {
      var verifier = random(48);
      var state = random(24);
      return sha256(verifier).then(function (hash) {
        var redirect = new URL('index.html', location.href).href;
        var scope = launchId ? 'launch openid fhirUser profile patient/*.rs online_access'
          : 'launch/patient openid fhirUser profile patient/*.rs offline_access';
        sessionStorage.setItem(KEY + ':' + state, JSON.stringify({iss: iss, tokenUrl: conf.token_endpoint,
          verifier: verifier, redirect: redirect, ehr: !!launchId}));
        var p = new URLSearchParams({response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirect,
          scope: scope, state: state, aud: iss, code_challenge: b64url(hash), code_challenge_method: 'S256'});
        if (launchId) { p.set('launch', launchId); }
        status('Signing in at ' + conf.authorization_endpoint + '…');
        location.assign(conf.authorization_endpoint + '?' + p.toString());
      });
    }).catch(function (e) {
      status('Cannot launch: ' + e.message, true);
    });
  }

  // ---------------------------------------------------------------- index.html: the token, then the summary

  function claims(jwt) {
    if (!jwt) { return null; }
    try {
      var part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      var bin = atob(part + '==='.slice((part.length + 3) % 4));
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      return {unreadable: String(e)};
    }
  }

  function exchange(q) {
    var pending = JSON.parse(sessionStorage.getItem(KEY + ':' + q.get('state')) || 'null');
    if (!pending) {
      return Promise.reject(new Error('this sign-in was not started here (unknown state); start again from the launch page'));
    }
    sessionStorage.removeItem(KEY + ':' + q.get('state'));
    return fetch(pending.tokenUrl, {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json'}, body: new URLSearchParams({grant_type: 'authorization_code', code: q.get('code'),
      redirect_uri: pending.redirect, code_verifier: pending.verifier, client_id: CLIENT_ID}).toString()
    }).then(function (r) {
      return r.json().then(function (t) {
        if (!r.ok) { throw new Error('the token request failed: ' + (t.error_description || t.error || r.status)); }
        var session = {iss: pending.iss, ehr: pending.ehr, token: t};
        sessionStorage.setItem(KEY, JSON.stringify(session));
        history.replaceState(null, '', location.pathname);
        return session;
      });
    });
  }

  function fhir(session, path) {
    return fetch(session.iss + '/' + path, {headers: {Accept: 'application/fhir+json',
      Authorization: 'Bearer ' + session.token.access_token}}).then(function (r) {
      if (!r.ok) { throw new Error(path.split('?')[0] + ' answered ' + r.status); }
      return r.json();
    });
  }

  function text(concept) {
    if (!concept) { return ''; }
    if (concept.text) { return concept.text; }
    var c = (concept.coding || [])[0] || {};
    return c.display || c.code || '';
  }

  function list(id, items) {
    var ul = el(id);
    ul.textContent = '';
    if (!items.length) { items = ['None recorded']; }
    items.forEach(function (t) {
      var li = document.createElement('li');
      li.textContent = t;
      ul.appendChild(li);
    });
  }

  function entries(bundle) {
    return (bundle.entry || []).map(function (e) { return e.resource; }).filter(function (r) { return r; });
  }

  function fill(id, session, path, describe) {
    return fhir(session, path).then(function (b) {
      list(id, entries(b).map(describe).filter(function (t) { return t; }));
    }).catch(function (e) {
      list(id, ['Cannot read: ' + e.message]);
    });
  }

  function showAbout(session) {
    var t = session.token;
    var idClaims = claims(t.id_token);
    var context = {patient: t.patient, encounter: t.encounter, fhirContext: t.fhirContext,
      need_patient_banner: t.need_patient_banner, smart_style_url: t.smart_style_url};
    el('launch-kind').textContent = session.ehr ? 'EHR launch' : 'Standalone launch';
    el('context').textContent = JSON.stringify(context, null, 2);
    el('scope').textContent = t.scope || '';
    el('fhir-user').textContent = idClaims && idClaims.fhirUser ? idClaims.fhirUser : '(no id_token)';
    el('id-token').textContent = JSON.stringify(idClaims, null, 2);
    el('access-token').textContent = JSON.stringify(claims(t.access_token), null, 2);
    el('about').hidden = false;
  }

  function showSummary(session) {
    var patient = session.token.patient;
    if (!patient) {
      status('The launch gave no patient context, so there is no summary to show.', true);
      return Promise.resolve();
    }
    var id = encodeURIComponent(patient);
    return fhir(session, 'Patient/' + id).then(function (p) {
      var n = (p.name || [])[0] || {};
      el('patient-name').textContent = n.text || ((n.given || []).join(' ') + ' ' + (n.family || '')).trim() || 'Patient ' + p.id;
      el('gender').textContent = p.gender || 'unknown';
      el('birth-date').textContent = p.birthDate || 'unknown';
      el('patient-id').textContent = p.id;
      el('summary').hidden = false;
      return Promise.all([
        fill('conditions', session, 'Condition?patient=' + id + '&_count=50', function (c) {
          return text(c.code) + (c.onsetDateTime ? ' (since ' + c.onsetDateTime.slice(0, 10) + ')' : '');
        }),
        fill('medications', session, 'MedicationRequest?patient=' + id + '&_count=50', function (m) {
          return text(m.medicationCodeableConcept) || (m.medicationReference || {}).display || '';
        }),
        fill('vitals', session, 'Observation?patient=' + id + '&category=vital-signs&_sort=-date&_count=20', function (o) {
          var v = o.valueQuantity;
          var value = v ? v.value + ' ' + (v.unit || '') : (o.component || []).map(function (c) {
            return c.valueQuantity ? c.valueQuantity.value : '';
          }).join('/');
          return text(o.code) + ': ' + value + (o.effectiveDateTime ? ' (' + o.effectiveDateTime.slice(0, 10) + ')' : '');
        })
      ]);
    }).then(function () {
      status('Signed in. The summary below was read with the app\'s access token.');
    });
  }

  function app() {
    var q = new URLSearchParams(location.search);
    if (q.get('error')) {
      status('The authorization server answered ' + q.get('error') + (q.get('error_description')
        ? ': ' + q.get('error_description') : ''), true);
      return;
    }
    var start = q.get('code') ? exchange(q) : Promise.resolve(JSON.parse(sessionStorage.getItem(KEY) || 'null'));
    start.then(function (session) {
      if (!session) {
        status('Not signed in: open launch.html?iss=<FHIR base URL> (standalone) or launch from an EHR.', true);
        return null;
      }
      showAbout(session);
      return showSummary(session);
    }).catch(function (e) {
      status('Cannot show the summary: ' + e.message, true);
    });
  }

  if (document.body.getAttribute('data-page') === 'launch') {
    launch();
  } else {
    app();
  }
})();

// The Fhirbolt sample SMART app, written on the SMART JavaScript client library `fhirclient` (vendored in
// fhirclient/, served from the jar with the app, so nothing is fetched from elsewhere): launch.html calls
// FHIR.oauth2.authorize (discovery from iss, PKCE S256, state; the EHR launch when the URL carries launch, else the
// standalone launch), index.html calls FHIR.oauth2.ready (the code exchange) and reads the patient summary with
// client.request, then shows what the app was given: the launch context, the granted scopes and the decoded tokens.
(function () {
  'use strict';
  var CLIENT_ID = 'fhirbolt-sample-app';
  // an EHR launch needs `launch`; a standalone one asks for the patient to be chosen (`launch/patient`)
  var EHR_SCOPE = 'launch openid fhirUser profile patient/*.rs online_access';
  var STANDALONE_SCOPE = 'launch/patient openid fhirUser profile patient/*.rs offline_access';

  function el(id) {
    return document.getElementById(id);
  }

  function status(text, error) {
    var s = el('status');
    s.textContent = text;
    s.className = error ? 'error' : '';
  }

  function message(e) {
    return e && e.message ? e.message : String(e);
  }

  // ---------------------------------------------------------------- launch.html: to the authorization endpoint

  function launch() {
    var q = new URLSearchParams(location.search);
    if (!q.get('iss')) {
      status('Open this page with ?iss=<FHIR base URL> for a standalone launch, or from an EHR launch.', true);
      return;
    }
    status('Signing in at the server named by iss…');
    FHIR.oauth2.authorize({
      clientId: CLIENT_ID,
      scope: q.get('launch') ? EHR_SCOPE : STANDALONE_SCOPE,
      redirectUri: 'index.html'
    }).catch(function (e) {
      status('Cannot launch: ' + message(e), true);
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

  function fill(client, id, path, describe) {
    return client.request(path).then(function (b) {
      list(id, entries(b).map(describe).filter(function (t) { return t; }));
    }).catch(function (e) {
      list(id, ['Cannot read: ' + message(e)]);
    });
  }

  function isEhrLaunch(client) {
    return /(^|\s)launch(\s|$)/.test(client.state.scope || '');
  }

  function showAbout(client) {
    var t = client.state.tokenResponse || {};
    var idClaims = client.getIdToken();
    var context = {patient: t.patient, encounter: t.encounter, fhirContext: t.fhirContext,
      need_patient_banner: t.need_patient_banner, smart_style_url: t.smart_style_url};
    el('launch-kind').textContent = isEhrLaunch(client) ? 'EHR launch' : 'Standalone launch';
    el('context').textContent = JSON.stringify(context, null, 2);
    el('scope').textContent = t.scope || '';
    el('fhir-user').textContent = client.user.fhirUser || '(no id_token)';
    el('id-token').textContent = JSON.stringify(idClaims, null, 2);
    el('access-token').textContent = JSON.stringify(claims(t.access_token), null, 2);
    el('about').hidden = false;
  }

  function showSummary(client) {
    var patient = client.patient.id;
    if (!patient) {
      status('The launch gave no patient context, so there is no summary to show.', true);
      return Promise.resolve();
    }
    var id = encodeURIComponent(patient);
    return client.request('Patient/' + id).then(function (p) {
      var n = (p.name || [])[0] || {};
      el('patient-name').textContent = n.text || ((n.given || []).join(' ') + ' ' + (n.family || '')).trim() || 'Patient ' + p.id;
      el('gender').textContent = p.gender || 'unknown';
      el('birth-date').textContent = p.birthDate || 'unknown';
      el('patient-id').textContent = p.id;
      el('summary').hidden = false;
      return Promise.all([
        fill(client, 'conditions', 'Condition?patient=' + id + '&_count=50', function (c) {
          return text(c.code) + (c.onsetDateTime ? ' (since ' + c.onsetDateTime.slice(0, 10) + ')' : '');
        }),
        fill(client, 'medications', 'MedicationRequest?patient=' + id + '&_count=50', function (m) {
          return text(m.medicationCodeableConcept) || (m.medicationReference || {}).display || '';
        }),
        fill(client, 'vitals', 'Observation?patient=' + id + '&category=vital-signs&_sort=-date&_count=20', function (o) {
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
    FHIR.oauth2.ready().then(function (client) {
      showAbout(client);
      return showSummary(client);
    }).catch(function (e) {
      status('Cannot show the summary: ' + message(e) + ' (open launch.html?iss=<FHIR base URL> for a standalone'
        + ' launch, or launch the app from an EHR)', true);
    });
  }

  if (typeof FHIR === 'undefined') {
    status('The fhirclient library did not load.', true);
  } else if (document.body.getAttribute('data-page') === 'launch') {
    launch();
  } else {
    app();
  }
})();

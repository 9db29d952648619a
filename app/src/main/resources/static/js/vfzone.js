// Forms marked with data-confirm ask before they submit (destructive actions).
document.addEventListener('submit', function (event) {
  var question = event.target.getAttribute('data-confirm');
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A checkbox with data-select-all="name" checks or unchecks every checkbox of that name.
document.addEventListener('change', function (event) {
  var name = event.target.getAttribute && event.target.getAttribute('data-select-all');
  if (name) {
    document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  }
});

// A button with data-copy-target="#id" copies that element's text to the clipboard and says so.
document.addEventListener('click', function (event) {
  var button = event.target.closest ? event.target.closest('[data-copy-target]') : null;
  if (!button) {
    return;
  }
  var source = document.querySelector(button.getAttribute('data-copy-target'));
  if (!source || !navigator.clipboard) {
    return;
  }
  navigator.clipboard.writeText(source.textContent).then(function () {
    button.textContent = 'Copied';
  });
});

// A form with data-progress="url" shows, while its request runs, how far the server is: it asks the url every
// second for {done, total, file} and writes it into #import-progress.
document.addEventListener('submit', function (event) {
  var form = event.target;
  var url = form.getAttribute && form.getAttribute('data-progress');
  var line = document.getElementById('import-progress');
  if (!url || !line || event.defaultPrevented) {
    return;
  }
  form.querySelectorAll('button[type=submit]').forEach(function (button) { button.disabled = true; });
  line.hidden = false;
  line.textContent = 'Sending the files…';
  window.setInterval(function () {
    fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}}).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (status) {
      if (status && status.total > 0) {
        line.textContent = (status.file ? 'Checking ' + status.file + ': ' : 'Checking: ')
            + status.done.toLocaleString() + ' of ' + status.total.toLocaleString() + ' rows done…';
      }
    }).catch(function () { /* the next tick asks again */ });
  }, 1000);
});

// "/" focuses the header search, unless the user is typing somewhere already.
document.addEventListener('keydown', function (event) {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) {
    return;
  }
  var target = event.target;
  var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  var search = document.getElementById('global-search-input');
  if (!typing && search) {
    event.preventDefault();
    search.focus();
  }
});

// htmx requests that change something carry the page's CSRF token, as the page's forms do.
document.addEventListener('htmx:configRequest', function (event) {
  var token = document.querySelector('meta[name="_csrf"]');
  var header = document.querySelector('meta[name="_csrf_header"]');
  if (token && header && event.detail.verb !== 'get') {
    event.detail.headers[header.getAttribute('content')] = token.getAttribute('content');
  }
});

// A form refused by the server comes back filled in as it was typed, with the reason beside the field at fault
// (the server sends the state as JSON data, never as script).
document.addEventListener('DOMContentLoaded', function () {
  var holder = document.getElementById('form-state');
  if (!holder) {
    return;
  }
  var state;
  try {
    state = JSON.parse(holder.textContent);
  } catch (e) {
    return;
  }
  var form = Array.prototype.find.call(document.forms, function (f) {
    return f.getAttribute('method') && f.getAttribute('method').toLowerCase() === 'post'
        && new URL(f.action, window.location.href).pathname === state.action;
  });
  if (!form) {
    return;
  }
  Object.keys(state.values || {}).forEach(function (name) {
    var values = state.values[name];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== name || el.type === 'hidden' || el.type === 'password' || el.type === 'file') {
        return;
      }
      if (el.type === 'checkbox' || el.type === 'radio') {
        el.checked = values.indexOf(el.value) >= 0;
      } else if (el.tagName === 'SELECT') {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
      } else {
        el.value = values[0];
      }
    });
  });
  // unchecked boxes send nothing: a box the server did not hear from is unchecked
  Array.prototype.forEach.call(form.elements, function (el) {
    if (el.type === 'checkbox' && el.name && !(el.name in (state.values || {}))) {
      el.checked = false;
    }
  });
  if (state.field) {
    var field = form.elements.namedItem(state.field);
    if (field && field.length !== undefined && !field.tagName) {
      field = field[0];
    }
    if (field) {
      field.classList.add('is-invalid');
      var feedback = document.createElement('div');
      feedback.className = 'invalid-feedback d-block';
      feedback.id = 'error-' + state.field;
      feedback.textContent = state.message;
      field.setAttribute('aria-describedby', feedback.id);
      field.insertAdjacentElement('afterend', feedback);
      field.focus();
    }
  }
});

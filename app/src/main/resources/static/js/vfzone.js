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

console.error('boom from bad.js');
window.addEventListener('load', function () { throw new Error('uncaught in bad.js'); });

// The board report page. With the report in the page (#report-data), it draws the charts; without (a browser that
// followed a link, so sent no key header), it loads the same page with the stored key and swaps it in.

import {
  $,
  adoptFragmentKey,
  apiFetch,
  AuthError,
  download,
  drawChart,
  forgetKey,
  onKeyForm,
  showBanner,
  showKeyForm,
  storedKey,
} from './page-kit.js';

const { site, month } = document.body.dataset;

async function drawAll() {
  const { charts } = JSON.parse($('report-data').textContent);
  const results = await Promise.allSettled(charts.map((c) => drawChart($(`chart-${c.id}`), c.spec)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) showBanner(`${failed.length} chart(s) could not be drawn: ${failed[0].reason.message}`);
  document.body.dataset.charts = failed.length ? 'partial' : 'drawn';
}

function wireDownload(key) {
  $('download-pdf').addEventListener('click', () => {
    const path = `/v1/sites/${encodeURIComponent(site)}/reports/${month}.pdf`;
    download(path, key, `board-report-${site}-${month}.pdf`).catch((error) => showBanner(error.message));
  });
}

async function load(key) {
  try {
    const response = await apiFetch(location.pathname, key);
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    document.title = page.title;
    document.body.replaceWith(document.adoptNode(page.body));
    wireDownload(key);
    await drawAll();
  } catch (error) {
    if (error instanceof AuthError) {
      forgetKey();
      $('loading').hidden = true;
      showKeyForm($('key-panel'), error.message);
      return;
    }
    $('loading').hidden = true;
    showBanner(error.message);
  }
}

adoptFragmentKey();
if ($('report-data')) {
  wireDownload(storedKey());
  void drawAll();
} else {
  onKeyForm($('key-form'), (key) => void load(key));
  const key = storedKey();
  if (key) void load(key);
  else {
    $('loading').hidden = true;
    showKeyForm($('key-panel'));
  }
}

// The catalog web app's entry point (bundled by gateway/catalog/bundleCatalogApp.ts).
import 'uplot/dist/uPlot.min.css';
import './app.css';
import { render } from 'preact';
import { App } from './App.js';

const root = document.getElementById('app');
if (root) {
  root.replaceChildren();
  render(<App />, root);
}

export { testVectors as sharedVectors } from '../../../../test-vectors/index.js';

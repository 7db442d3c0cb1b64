#!/usr/bin/env node
// The `jovian` command: one bundled file, so that start-up reads one module instead of hundreds.
import '../dist/cli/jovian.js';

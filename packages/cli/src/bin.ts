#!/usr/bin/env node
import { main } from './main.js';

// A failed command exits at once, even if something it opened (a Redis client) would keep it alive;
// a service that started keeps running.
const code = await main(process.argv);
if (code !== 0) process.exit(code);

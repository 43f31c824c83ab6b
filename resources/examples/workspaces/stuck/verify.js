// Fails until config.json names a real region: the rules know no fix for that on their own.
const cfg = require('./config.json')
const regions = ['eu-west-1', 'us-east-1']
if (cfg.retries < 1) { console.error('FAIL retries must be at least 1'); process.exit(1) }
if (!regions.includes(cfg.region)) { console.error(`FAIL unknown region ${cfg.region}`); process.exit(1) }
console.log('config is valid')

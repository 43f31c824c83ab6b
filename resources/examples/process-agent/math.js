// A tiny library with two bugs for the example loop to find and fix.
exports.add = (a, b) => a - b
exports.mul = (a, b) => a + b

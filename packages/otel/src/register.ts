// Side-effect entry: `import "@jotty/otel/register"` or `node --import @jotty/otel/register app.js`.
export {};

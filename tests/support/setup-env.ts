// Tests that want log lines capture them (tests/support/platform.ts); the rest stay quiet.
process.env.LOG_LEVEL ??= 'silent';

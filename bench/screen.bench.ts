export async function screenBenchmarks(): Promise<void> {}

/**
 * Run by threads.test.ts in a child process: starts the thread pool with two threads, runs a
 * product big enough to split (all of it on the worker), prints what happened as JSON and returns. The test checks that the
 * process then exits on its own (the pool's workers must not keep Node alive).
 */
import { randn, setNumThreads } from "@tsgrad/core";
import { setCoreLimitForTesting, setWorkersOnlyForTesting, threadStats } from "../../src/kernels/threads.js";
import { gemmThreadsReady } from "../../src/kernels/wasm/gemm.js";

setCoreLimitForTesting(2);
setWorkersOnlyForTesting(true); // so the worker surely ran a share
setNumThreads(2);
const threads = await gemmThreadsReady();
randn([256, 256]).matmul(randn([256, 256]));
console.log(JSON.stringify({ threads, handedOff: threadStats().handOffs > 0 }));

// Imported first by the entry points (the CLI, the monitor utility process). Node's libuv thread pool (4 threads by default) runs every file
// read and the native socket dump/owner scan; on a host with many sockets the scan can hold threads
// for hundreds of milliseconds and starve the 1 Hz tick's tiny procfs reads. A larger pool keeps the
// tick on time. It only takes effect before the pool's first use, hence its own module, imported first.
process.env.UV_THREADPOOL_SIZE ??= '8';

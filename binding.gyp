{
  # The Linux socket reader (electron/node/platform/linux/native/sock_diag.c). Plain N-API (node_api.h),
  # so one build serves Node and Electron of the same architecture. On other platforms the target has
  # no sources and nothing Linux-specific is compiled; load.ts reports the addon as unavailable there.
  'targets': [
    {
      'target_name': 'sock_diag',
      'defines': ['NAPI_VERSION=8'],
      'conditions': [
        ['OS=="linux"', {
          'sources': ['electron/node/platform/linux/native/sock_diag.c'],
          'cflags': ['-std=gnu11', '-O2', '-Wall', '-Wextra', '-Werror=implicit-function-declaration'],
        }],
      ],
    },
  ],
}

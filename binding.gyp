{
  # One addon, adbit_native. Sources are every native/src/*.cc, so a new core file needs no edit here.
  # OpenSSL: the headers come from Node's own include dir (node-gyp puts it first on the include path)
  # and the symbols bind to the copy Node exports; we never link -lcrypto ourselves.
  # ldns: the system library (Debian libldns-dev), found with pkg-config.
  "targets": [
    {
      "target_name": "adbit_native",
      "sources": ["<!@(node -p \"require('fs').readdirSync('native/src').filter(f=>f.endsWith('.cc')).map(f=>'native/src/'+f).join(' ')\")"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "include_dirs": ["<!@(pkg-config --cflags-only-I ldns | sed 's/-I//g')"],
      "libraries": ["<!@(pkg-config --libs ldns)"],
      "defines": ["NAPI_VERSION=9", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED"],
      "cflags_cc": ["-std=c++17", "-fvisibility=hidden", "-Wall", "-Wextra", "-O2"],
      "cflags_cc!": ["-std=gnu++17", "-fno-exceptions"],
      "cflags!": ["-fno-exceptions"]
    }
  ]
}

// protoPython playground (web/): puts program text into the URL fragment and reads it back.
// Format: "#code=<base64url of deflate-raw(UTF-8)>", or "#src=<base64url of UTF-8>" where the
// browser has no CompressionStream. Both forms are read.

function bytesToBase64url(bytes) {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64urlToBytes(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipeThrough(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const canCompress = typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';

/** The URL fragment (with its leading '#') that holds `code`. */
export async function encodeCodeFragment(code) {
  const utf8 = new TextEncoder().encode(code);
  if (canCompress) {
    const packed = await pipeThrough(utf8, new CompressionStream('deflate-raw'));
    return '#code=' + bytesToBase64url(packed);
  }
  return '#src=' + bytesToBase64url(utf8);
}

/** The program held in a URL fragment, or null when the fragment holds none (or is damaged). */
export async function decodeCodeFragment(fragment) {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  try {
    if (params.has('code') && canCompress) {
      const packed = base64urlToBytes(params.get('code'));
      const utf8 = await pipeThrough(packed, new DecompressionStream('deflate-raw'));
      return new TextDecoder('utf-8', { fatal: true }).decode(utf8);
    }
    if (params.has('src')) {
      return new TextDecoder('utf-8', { fatal: true }).decode(base64urlToBytes(params.get('src')));
    }
  } catch (err) {
    console.warn('protoPython playground: the code in the URL could not be read:', err);
  }
  return null;
}

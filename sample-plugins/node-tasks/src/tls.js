'use strict';
// AutoMTLS as go-plugin does it (docs/protocol.md, section 2a): a throwaway self-signed ECDSA
// certificate for localhost, usable as client and server; the server requires the host's
// certificate (PLUGIN_CLIENT_CERT) and trusts nothing else; the certificate's DER goes in the
// handshake line's sixth field as base64 without padding.

const { webcrypto, randomBytes } = require('crypto');
const grpc = require('@grpc/grpc-js');

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/**
 * @peculiar/x509, loaded on first use: with its dependencies it takes ~200 ms to load, two thirds
 * of the plugin's start, and a plugin without AutoMTLS never needs it.
 */
function x509Library() {
  require('reflect-metadata'); // @peculiar/x509 needs the Reflect API it extends
  const x509 = require('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto);
  return x509;
}

/** A new certificate and its key: { certPem, keyPem, der }. */
async function throwawayCertificate() {
  const x509 = x509Library();
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '1'), // positive
    name: 'CN=localhost, O=Compensa plugin',
    notBefore: new Date(now - 30_000), // some slack for the host's clock
    notAfter: new Date(now + 24 * 3600_000),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyCertSign,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').match(/.{1,64}/g).join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { certPem: certificate.toString('pem'), keyPem, der: Buffer.from(certificate.rawData) };
}

/**
 * The server credentials and the handshake's sixth field when the host asked for AutoMTLS
 * (PLUGIN_CLIENT_CERT set), else insecure credentials and no field.
 */
async function serverCredentials(env) {
  const hostCertificate = env.PLUGIN_CLIENT_CERT;
  if (!hostCertificate) {
    return { credentials: grpc.ServerCredentials.createInsecure(), handshakeField: null };
  }
  const own = await throwawayCertificate();
  const credentials = grpc.ServerCredentials.createSsl(
    Buffer.from(hostCertificate),
    [{ private_key: Buffer.from(own.keyPem), cert_chain: Buffer.from(own.certPem) }],
    true, // require a client certificate, verified against the host's alone
  );
  return { credentials, handshakeField: own.der.toString('base64').replace(/=+$/, '') };
}

module.exports = { serverCredentials };

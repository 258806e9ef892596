// The <file|url> argument of the discovery commands: a path, or an http(s) URL fetched through the engine's
// network policy (the network flags allow a local or plain-http one).
import type { DescriptionSource } from '@pullpush/discovery';
import type { Command } from 'commander';
import type { NetworkFlags } from '../inputs.ts';

export function descriptionSource(argument: string, flags: NetworkFlags, signal: AbortSignal): DescriptionSource {
  if (!/^https?:\/\//i.test(argument)) return { file: argument };
  return {
    url: argument,
    network: { ...(flags.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}), ...(flags.allowInsecureHttp ? { allowInsecureHttp: true } : {}) },
    signal,
  };
}

/** The two network flags that let a description URL be local or plain http. */
export function addDescriptionNetworkOptions(command: Command): Command {
  return command
    .option('--allow-private-network', 'a description URL may be on a private or loopback address (refused by default)')
    .option('--allow-insecure-http', 'a description URL may be plain http (refused by default)');
}

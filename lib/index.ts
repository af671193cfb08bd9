export * from './core/validation-error';
export * from './network/network';
export * from './network/provider-network-type';
export * from './network/external-network';

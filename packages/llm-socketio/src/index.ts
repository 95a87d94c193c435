// Placeholder until this package's issue lands; the package stays private until then.
export {};

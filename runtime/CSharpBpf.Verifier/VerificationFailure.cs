using System;

namespace CSharpBpf.Verifier;

/// <summary>Internal: stops path exploration at the first refusal, as the kernel does.</summary>
internal sealed class VerificationFailure : Exception
{
    public VerificationFailure(VerifierError error) : base(error.Message) => Error = error;
    public VerifierError Error { get; }
}

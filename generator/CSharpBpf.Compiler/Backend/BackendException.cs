using System;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// The backend cannot produce code for valid IR (stack over 512 bytes, too many registers live
/// across a call...). Carries the C# location so the frontend reports it at the span.
/// </summary>
public sealed class BackendException : Exception
{
    public BackendException(string message, SourceLocation location, string function)
        : base($"{location}: {function}: {message}")
    {
        Location = location;
        Function = function;
        Reason = message;
    }

    public SourceLocation Location { get; }
    public string Function { get; }
    public string Reason { get; }
}

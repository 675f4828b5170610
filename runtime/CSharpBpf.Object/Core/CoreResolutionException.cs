using System;

namespace CSharpBpf.Object.Core;

/// <summary>
/// A CO-RE relocation that cannot be resolved or applied: ambiguous candidates, an access string
/// that does not fit the local type, or an instruction that carries no relocatable value. The
/// message names the type and field. (A field that is merely absent is not an error: it poisons.)
/// </summary>
public sealed class CoreResolutionException : Exception
{
    public CoreResolutionException(string message) : base(message) { }
}

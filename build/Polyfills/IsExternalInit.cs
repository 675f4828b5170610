// netstandard2.0 has no IsExternalInit; the compiler needs it for init accessors and records.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}

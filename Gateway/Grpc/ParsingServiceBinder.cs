using Google.Protobuf;
using Grpc.Core;

namespace Coordinator.Gateway.Grpc;

/// <summary>
/// Binds a generated service with one change to its methods: a request that does not parse fails with grpc-go's
/// status (INTERNAL, "grpc: error unmarshalling request: ...") instead of an UNKNOWN "exception was thrown by
/// handler". Each gateway service points Grpc.AspNetCore at its own <c>BindService</c> through
/// <see cref="BindServiceMethodAttribute"/>, which calls the generated one through this binder. That method's
/// second parameter must be the generated base type: Grpc.AspNetCore finds the handlers as its overrides.
/// </summary>
public sealed class ParsingServiceBinder(ServiceBinderBase inner) : ServiceBinderBase
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(WithParseErrors(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(WithParseErrors(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(WithParseErrors(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(WithParseErrors(method), handler);

    private static Method<TRequest, TResponse> WithParseErrors<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class where TResponse : class
    {
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var marshaller = new Marshaller<TRequest>(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return parse(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw EtcdStatus.Unparsable(e);
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }
}

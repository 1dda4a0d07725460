export * from './dto/site-document.schema';
